module fixtures/glk202ginkgo

go 1.22

require github.com/onsi/ginkgo/v2 v2.0.0

replace github.com/onsi/ginkgo/v2 => ./ginkgostub
