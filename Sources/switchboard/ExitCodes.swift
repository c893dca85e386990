import ArgumentParser
import FoundationEssentials
import SwitchboardCore

/// Maps errors to the documented exit codes (sysexits.h) and prints the one-line cause on stderr.
enum ExitCodes {
    static func code(for error: SwitchboardError) -> Int32 {
        switch error.code {
        case .invalidName, .invalidValue, .noSuchBackend, .noSuchServer, .alreadyAsAsked: 65
        case .socketNotFound: 66
        case .connectionRefused, .noSocketFound, .missingProgram, .unsupported, .sshUnreachable: 69
        case .timeout, .balancerReloading, .connectionLost: 75
        case .notHAProxy, .malformedOutput, .unknownCommand: 76
        case .socketPermission, .accessDenied, .sshHostKey, .sshAuthentication: 77
        case .auditLogUnwritable: 73
        case .planChanged: 65
        case .unusableTerminal: 78
        default: 1
        }
    }

    /// Runs `body`; a ``SwitchboardError`` becomes one line on stderr and its exit code.
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SwitchboardError {
            StandardStream.error.write("switchboard: \(error)\n")
            throw ExitCode(code(for: error))
        }
    }
}
