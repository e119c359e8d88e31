package glk201

// Positive: Progress hands the channel out receive-only, so no caller can close it, and
// nothing in the package does.
type download struct {
	progress chan int
}

func newDownload() *download {
	d := &download{progress: make(chan int)}
	go d.fetch()
	return d
}

func (d *download) fetch() {
	for i := 0; i <= 100; i += 10 {
		d.progress <- i
	}
}

func (d *download) Progress() <-chan int { return d.progress }

func (d *download) watch(report func(int)) {
	for p := range d.progress { // want GLK201 "nothing in package glk201 closes any .progress field"
		report(p)
	}
}

// Negative: the near miss hands it out both ways: a caller may close it.
type upload struct {
	chunks chan int
}

func newUpload() *upload {
	u := &upload{chunks: make(chan int)}
	go u.send()
	return u
}

func (u *upload) send() {
	for i := 0; i < 10; i++ {
		u.chunks <- i
	}
}

func (u *upload) Chunks() chan int { return u.chunks }

func (u *upload) watch(report func(int)) {
	for c := range u.chunks {
		report(c)
	}
}
