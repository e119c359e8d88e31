package glk301

// The deletion that bounds `running` lives in a different file of the package.
func finish(id string) { running.Delete(id) }

// Reading the shadowed package-level name keeps the fixture compiling.
func scratchSize() int { return len(scratch) + len(fillLookupResult()) }

func fillLookupResult() []bool { return []bool{fillLookup} }
