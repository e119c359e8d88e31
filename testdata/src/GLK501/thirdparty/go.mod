module fixtures/glk501thirdparty

go 1.22

require (
	github.com/jackc/pgx/v5 v5.0.0
	github.com/jmoiron/sqlx v1.0.0
	github.com/stretchr/testify v1.0.0
	google.golang.org/grpc v1.0.0
)

replace (
	github.com/jackc/pgx/v5 => ../../stubs/pgx
	github.com/jmoiron/sqlx => ../../stubs/sqlx
	github.com/stretchr/testify => ../../stubs/testify
	google.golang.org/grpc => ../../stubs/grpc
)
