import Foundation
import NPECommandLine
import Testing

/// The first SIGINT or SIGTERM sets the flag and prints the notice; a second one would end the process at once
/// (exit 128 + signal), so the whole check is one test that raises exactly one signal in this process.
@Suite("StopRequest: SIGINT and SIGTERM as a polled flag")
struct StopRequestTests {
    @Test("nothing is requested before a signal; SIGTERM then sets the flag and names itself")
    func firstSignalSetsTheFlag() {
        let stop = StopRequest(notice: "StopRequestTests: the expected notice")
        #expect(!stop.isRequested && stop.signalName == nil)
        // raise(3) runs the handler on this thread before it returns (the initialiser unblocked the signal here).
        raise(SIGTERM)
        #expect(stop.isRequested)
        #expect(stop.signalName == "SIGTERM")
        // A second StopRequest sees the same process-wide flag: there is one signal state per process.
        #expect(StopRequest(notice: "again").isRequested)
    }
}
