// Wrapper module used by tools/toolchain/install.sh to build np-guard's netpol-analyzer
// (the `netpolicy` command), which computes from YAML, offline, which pods may reach which:
// `npm run check:network` and __tests__/network/ prove Opik's NetworkPolicies with it.
// `go install ...@v1.4.4` fails: it reads the module's version list for deprecations, and the
// Go module proxy here refuses that list (403) while it serves v1.4.4 itself.
// Bump the version, then regenerate go.sum in a scratch copy (deterministic) with
// `go list -deps github.com/np-guard/netpol-analyzer/cmd/netpolicy`.
// Do not `go mod tidy` this module: it has no packages of its own, so tidy would drop the require.
module toolchain.local/netpol-analyzer

go 1.26.0

require github.com/np-guard/netpol-analyzer v1.4.4
