module example.com/leakdemo

go 1.22
