import NPECSV
import Testing

@Test func quotedFieldsCommentsAndLineNumbers() throws {
    let text = """
    # provenance comment
    id, value ,note

    "HD 209458 b", 1.5 ,"says ""hi"", twice"
    WASP-39 b,2,
    """
    let table = try CSVTable(text: text, file: "t.csv")
    #expect(table.header == ["id", "value", "note"])
    #expect(table.rows.map(\.line) == [4, 5])
    #expect(table.rows[0].fields == ["HD 209458 b", "1.5", "says \"hi\", twice"])
    #expect(table.rows[1].fields == ["WASP-39 b", "2", ""])
    #expect(try table.number(table.rows[0], table.columnIndex("value")) == 1.5)
}

@Test("errors name file, line and column", arguments: [
    ("a,b\n1,2,3", CSVError.wrongFieldCount(file: "t.csv", line: 2, row: 0, expected: 2, got: 3)),
    ("a,a\n1,2", CSVError.duplicateColumn(file: "t.csv", column: "a")),
    ("a,b\n\"1,2", CSVError.unterminatedQuote(file: "t.csv", line: 2)),
    ("# only a comment", CSVError.noHeader(file: "t.csv")),
])
func malformedTables(text: String, error: CSVError) {
    #expect(throws: error) { try CSVTable(text: text, file: "t.csv") }
}

@Test func invalidNumbersAndMissingColumns() throws {
    let table = try CSVTable(text: "a,b\n1,nan\n2,-1", file: "t.csv")
    #expect(throws: CSVError.invalidValue(file: "t.csv", line: 2, column: "b", text: "nan")) { try table.number(table.rows[0], 1) }
    #expect(throws: CSVError.invalidValue(file: "t.csv", line: 3, column: "b", text: "-1")) {
        try table.number(table.rows[1], 1, nonNegative: true)
    }
    #expect(throws: CSVError.missingColumn(file: "t.csv", column: "c")) { try table.columnIndex("c") }
}

/// The shared Ariel MCS list mixes CRLF and LF line endings; both must split, with the right line numbers.
@Test func crlfAndMixedLineEndings() throws {
    let table = try CSVTable(text: "a,b\r\n1,2\r\n3,4\n5,x\r\n", file: "mixed.csv")
    #expect(table.header == ["a", "b"])
    #expect(table.rows.map(\.fields) == [["1", "2"], ["3", "4"], ["5", "x"]])
    #expect(table.rows.map(\.line) == [2, 3, 4])
}
