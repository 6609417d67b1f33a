// Wrapper module used by tools/toolchain/install.sh to build etcd
// (the main package go.etcd.io/etcd/server/v3) from the Go module proxy.
// `go install ...@version` refuses etcd's server module because its go.mod
// has replace directives (../api, ../client/...); those only point at the
// sibling modules of the same release, which the require below reaches at
// the same version anyway, so no replace lines are needed here.
// Bump the version, then regenerate go.sum in a scratch copy (deterministic)
// with `go list -deps go.etcd.io/etcd/server/v3`.
// Do not `go mod tidy` this module: it has no packages of its own, so tidy
// would drop the require.
module toolchain.local/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 v3.6.16
