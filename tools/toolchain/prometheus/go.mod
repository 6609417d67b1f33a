// Wrapper module used by tools/toolchain/install.sh to build promtool (Prometheus 3.16.0,
// module version v0.316.0), which checks the monitoring stack's Prometheus rule groups
// (`promtool check rules`, `promtool test rules`) in `npm run test:validate`.
// `go install ...promtool@v0.316.0` fails: its nomad/api requirement is a pseudo-version the
// Go module proxy does not serve (403). The replace below takes the newest nomad/api the proxy
// has; it only feeds promtool's Nomad service discovery, which rule checks never use.
// Bump the version, then regenerate go.sum in a scratch copy (deterministic) with
// `go list -deps github.com/prometheus/prometheus/cmd/promtool`.
// Do not `go mod tidy` this module: it has no packages of its own, so tidy would drop the require.
module toolchain.local/prometheus

go 1.26.7

require github.com/prometheus/prometheus v0.316.0

replace github.com/hashicorp/nomad/api => github.com/hashicorp/nomad/api v0.0.0-20260907080526-08ef8f3d26da
