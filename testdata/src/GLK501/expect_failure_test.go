package glk501

import (
	"crypto/tls"
	"testing"
)

// Negative: the handshake is expected to fail; bound in the if header, the connection exists
// only on the branch that ends the test.
func TestRejectsUntrustedPeer(t *testing.T) {
	config := &tls.Config{ServerName: "untrusted.invalid"}
	if _, err := tls.Dial("tcp", "127.0.0.1:1", config); err == nil {
		t.Fatal("handshake with an untrusted peer succeeded")
	}
}

// Negative: the same with a message first and t.FailNow to end the test.
func TestRejectsExpiredPeer(t *testing.T) {
	if _, err := tls.Dial("tcp", "127.0.0.1:1", nil); err == nil {
		t.Log("handshake with an expired certificate succeeded")
		t.FailNow()
	}
}

// Positive: t.Error lets the test go on, and the unexpected connection is never closed.
func TestReportsUnexpectedHandshake(t *testing.T) {
	if _, err := tls.Dial("tcp", "127.0.0.1:1", nil); err == nil { // want GLK501 "discarded"
		t.Error("handshake succeeded")
	}
}
