// A file-static function of a header that is not instrumented, which each
// unit that includes it compiles with its own LOCAL_VALUE: a function of
// that unit alone (calls_into/locals).
static int local_value() { return LOCAL_VALUE; }
