module fixtures/glk501go127

go 1.27
