module fixtures/glk101go123

go 1.23
