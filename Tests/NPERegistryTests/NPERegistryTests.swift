import Testing
@testable import NPERegistry
