// The `herald` executable: everything lives in HeraldCLI.

import Foundation
import HeraldCLI

exit(Herald.run(Array(CommandLine.arguments.dropFirst()), console: .standard()))
