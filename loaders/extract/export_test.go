package extract

// What the external tests (curated_test.go) use of the package's own test
// helpers.
var (
	CheckDraft = checkDraft
	Curated    = curated
)

const Articles = articles
