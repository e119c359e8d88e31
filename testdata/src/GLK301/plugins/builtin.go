package plugins

type echo struct{}

func (echo) Name() string { return "echo" }

func init() { Register(echo{}) }
