import Foundation
import NPEData
import NPERegistry

extension TrainingRequest {
    /// The checks every training kind (flow or ExoGAN) runs before any work: the dataset exists and opens, and, on
    /// the worker that will publish (`checkingOutputs`), the registry is writable, the model name is valid and the
    /// checkpoint state matches `--resume`. Returns the open reader; the caller closes it.
    ///
    /// - Throws: ``TrainingSetupError`` naming the path, or the reader's error naming the file and field.
    public func openDataset(checkingOutputs: Bool) throws -> TrainingDatasetReader {
        let file = datasetFile
        guard FileManager.default.fileExists(atPath: file.path) else { throw TrainingSetupError.datasetMissing(path: dataset.path) }
        let reader = try TrainingDatasetReader(contentsOf: file)
        guard checkingOutputs else { return reader }
        do {
            try RegistryPreflight.checkWritable(registry)
            try RegistryName.validateModelName(modelName)
            let exists = FileManager.default.fileExists(atPath: checkpointURL.path)
            if resume && !exists { throw TrainingSetupError.nothingToResume(path: checkpointURL.path) }
            if !resume && exists { throw TrainingSetupError.checkpointExists(path: checkpointURL.path) }
        } catch {
            try? reader.close()
            throw error
        }
        return reader
    }
}
