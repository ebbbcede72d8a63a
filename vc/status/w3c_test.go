package status

// Encoded lists published by the W3C. Test data only.
const (
	// w3cExample3List is the encodedList of Example 3 of Bitstring Status List v1.0
	// (W3C Recommendation, 2025-05-15): 131,072 clear bits.
	w3cExample3List = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
	// w3cSuiteList is the encodedList of w3c/vc-bitstring-status-list-test-suite
	// fixtures/status-credentials/{single,multi}-purpose-ok.jsonld: 200,000 bits, indexes 201,
	// 57444 and 94023 set. It is written without the multibase prefix.
	w3cSuiteList = "H4sIACbOo2YC_-3QMREAMAgEsGerLPyrQgFjB-4SCUkWHQAAAAAAAOCwpwAAAADgrFIAAAAAAAAAAAAAAAAA3wxvOeOvqGEAAA"
	// w3cSuiteShortList is the encodedList of the suite's short-encoded-list-fail.jsonld:
	// 200 bits, below the minimum of 131,072 entries.
	w3cSuiteShortList = "H4sIAN7Lo2YC_2NgwAEAjw7P6RkAAAA"
)
