/// A problem a splitter found at a byte offset, before it is given a line and column.
struct SplitProblem: Error {
    var kind: SQLSplitError.Kind
    var message: String
    var offset: Int
}
