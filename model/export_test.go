package model

// ReferenceJSON is json.Marshal of a record as it was before AppendJSON,
// for the equivalence test over demo data in package model_test.
var ReferenceJSON = referenceJSON
