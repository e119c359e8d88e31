// Package grpc stands in for google.golang.org/grpc in fixtures.
package grpc

type DialOption interface{}

type ClientConn struct{}

func NewClient(target string, opts ...DialOption) (*ClientConn, error) {
	return &ClientConn{}, nil
}

func Dial(target string, opts ...DialOption) (*ClientConn, error) { return &ClientConn{}, nil }

func (cc *ClientConn) Target() string { return "" }

func (cc *ClientConn) Close() error { return nil }
