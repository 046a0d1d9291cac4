import Testing
@testable import NPENN
