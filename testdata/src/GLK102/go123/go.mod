module fixtures/glk102go123

go 1.23
