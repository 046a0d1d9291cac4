import Testing
@testable import NPETensor
