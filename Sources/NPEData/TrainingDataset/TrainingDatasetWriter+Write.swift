extension TrainingDatasetWriter {
    /// Runs `append`, which adds the rows, then ``commit()``; when `append` throws, ``abandon()`` discards the file
    /// (nothing appears at ``url``) and the error is rethrown.
    ///
    /// - Returns: the content digest ``commit()`` returns (lowercase hex SHA-256).
    public func write(_ append: () throws -> Void) throws -> String {
        do {
            try append()
        } catch {
            try? abandon()
            throw error
        }
        return try commit()
    }
}
