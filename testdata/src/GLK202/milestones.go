package glk202

// Negative: the copier announces the halfway mark once, for one value of its index, and the
// caller waits for exactly that one announcement.
func copyReportingHalf(items []string, put func(string)) {
	halfway := make(chan bool)
	go func() {
		for i := 0; i < len(items); i++ {
			put(items[i])
			if i == len(items)/2 {
				halfway <- true
			}
		}
	}()
	<-halfway
}

// Negative: the same with a range index compared to a fixed position.
func markFirst(rows [][]byte, at int, write func([]byte)) {
	reached := make(chan int)
	go func() {
		for i, row := range rows {
			write(row)
			if at == i {
				reached <- i
			}
		}
	}()
	<-reached
}

// Positive: every tenth row is announced, so one receive leaves the rest blocked.
func copyReportingProgress(items []string, put func(string)) {
	progress := make(chan int)
	go func() {
		for i := 0; i < len(items); i++ {
			put(items[i])
			if i%10 == 0 {
				progress <- i // want GLK202 "before receiving every value sent on progress"
			}
		}
	}()
	<-progress
}

// Positive: the mark moves inside the loop, so the condition can hold on many passes.
func chaseMark(items []string, mark int, put func(string)) {
	hit := make(chan bool)
	go func() {
		for i := 0; i < len(items); i++ {
			put(items[i])
			if i == mark {
				hit <- true // want GLK202 "before receiving every value sent on hit"
				mark += 2
			}
		}
	}()
	<-hit
}
