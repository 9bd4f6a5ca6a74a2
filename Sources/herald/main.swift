// The `herald` executable: everything lives in HeraldCLI.

import Foundation
import HeraldCLI

Herald.main(Array(CommandLine.arguments.dropFirst()))
