import Testing
@testable import NPEData
