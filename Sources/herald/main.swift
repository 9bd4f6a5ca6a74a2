// The `herald` executable: everything lives in HeraldCLI.

import Foundation
import HeraldCLI

exit(Herald.main(Array(CommandLine.arguments.dropFirst())))
