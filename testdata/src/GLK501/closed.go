package glk501

import (
	"net/http"
	"os"
)

// writeScratch writes data to a new temporary file and closes it before returning: the
// *os.File it hands back is only good for its name.
func writeScratch(dir string, data []byte) (*os.File, error) {
	f, err := os.CreateTemp(dir, "scratch-*")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return nil, err
	}
	return f, nil
}

// Negative: the helper closed the file already; the caller only reads its name.
func ScratchPath(dir string, data []byte) (string, error) {
	f, err := writeScratch(dir, data)
	if err != nil {
		return "", err
	}
	return f.Name(), nil
}

// headOf asks for a resource's headers and closes the body itself: callers get a response
// with nothing left to close.
func headOf(client *http.Client, url string) (*http.Response, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return resp, nil
}

// Negative: the body was closed by headOf.
func ContentType(client *http.Client, url string) (string, error) {
	resp, err := headOf(client, url)
	if err != nil {
		return "", err
	}
	return resp.Header.Get("Content-Type"), nil
}

// openScratch closes the file only when the write fails; on success the caller owns it.
func openScratch(dir string, data []byte) (*os.File, error) {
	f, err := os.CreateTemp(dir, "scratch-*")
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Positive: the near miss: openScratch hands over an open file, which this caller drops.
func ScratchPathOpen(dir string, data []byte) (string, error) {
	f, err := openScratch(dir, data) // want GLK501
	if err != nil {
		return "", err
	}
	return f.Name(), nil
}
