import Testing
@testable import NPESimulators
