// A command line run as a child process with its standard input given and its output collected:
// how external filters and `herald send` run the programs their settings name.

import Dispatch
public import Foundation
internal import Subprocess
import Synchronization
internal import SystemPackage

/// A command line run by `/bin/sh -c`, as users of settings like git's `sendemail.sendmailCmd`
/// expect: quotes, variables, pipes and redirections work as in a shell.
///
/// The shell runs in a process group of its own, so that a time limit ends everything it started.
/// Herald's pipeline is synchronous: ``run(_:in:environment:input:timeout:)`` blocks the calling
/// thread while the command runs. Call it from threads outside Swift's cooperative pool, as the
/// pipeline's are: the child-process machinery needs a thread of that pool, and callers blocked
/// on all of them would wait for ever (tests, which Swift Testing runs on that pool, hand such
/// calls to a thread of their own).
public enum ShellCommand {
    /// How a command ended.
    public enum Ending: Equatable, Sendable {
        case exit(Int32)
        case signal(Int32)
        /// It overstayed its time and was killed with its process group.
        case timedOut
    }

    /// What a command did: how it ended, and what it wrote (up to its end, or up to when it
    /// was killed).
    public struct Result: Sendable {
        public var ending: Ending
        public var stdout: Data
        public var stderr: Data
    }

    /// Runs `/bin/sh -c commandLine` in `folder` (the current folder when `nil`), with
    /// `environment` added to Herald's own, `input` on its standard input and its standard output
    /// and error collected.
    ///
    /// The command is done when the shell has exited and its output is closed (once the shell has
    /// exited, a process it left running no longer holds the run up). Past `timeout`, the shell
    /// and every process in its group are killed with `SIGKILL` and the ending is
    /// ``Ending/timedOut``. A command that exits without reading all of `input` is no error.
    /// Throws only when the shell cannot be started.
    public static func run(
        _ commandLine: String, in folder: String? = nil, environment: [String: String] = [:],
        input: Data, timeout: Duration? = nil
    ) throws -> Result {
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        // A thread is blocked until the task is done: high priority, so that the few jobs
        // swift-subprocess puts on Swift's cooperative pool do not queue behind long work of
        // ordinary priority there (it keeps its own threads for each priority).
        Task(executorPreference: ChildProcessThread.shared, priority: .high) {
            do {
                outcome.set(.success(try await collect(
                    commandLine, in: folder, environment: environment, input: input, timeout: timeout)))
            } catch {
                outcome.set(.failure(error))
            }
            finished.signal()
        }
        finished.wait()
        return try outcome.get()
    }

    private static func collect(
        _ commandLine: String, in folder: String?, environment: [String: String], input: Data,
        timeout: Duration?
    ) async throws -> Result {
        var options = PlatformOptions()
        // Its own process group: a kill sent to the group reaches what the shell started.
        options.processGroupID = 0
        var added: [Environment.Key: String?] = [:]
        for (key, value) in environment { added[Environment.Key(stringLiteral: key)] = value }
        let run = try await Subprocess.run(
            .path("/bin/sh"), arguments: ["-c", commandLine], environment: .inherit.updating(added),
            workingDirectory: folder.map { FilePath($0) }, platformOptions: options,
            input: .inputWriter, output: .sequence, error: .sequence
        ) { execution -> (stdout: Data, stderr: Data, timedOut: Bool) in
            let group = ProcessGroup(execution.processIdentifier.value)
            // Armed until the shell has exited, whatever happens to its output.
            let deadline = timeout.map { timeout in
                let item = DispatchWorkItem { group.kill() }
                deadlines.asyncAfter(deadline: .now() + timeout / .seconds(1), execute: item)
                return item
            }
            let (stdout, stderr) = await withTaskGroup(of: Stream.self) { tasks in
                tasks.addTask {
                    // The write fails when the command exits without reading everything; the
                    // thread it runs on has SIGPIPE blocked, so Herald is not ended by it.
                    _ = try? await execution.standardInputWriter.write(input)
                    try? await execution.standardInputWriter.finish()
                    return .input
                }
                tasks.addTask { .stdout(await drain(execution.standardOutput)) }
                tasks.addTask { .stderr(await drain(execution.standardError)) }
                var stdout = Data(), stderr = Data()
                for await stream in tasks {
                    switch stream {
                    case .input: break
                    case .stdout(let data): stdout = data
                    case .stderr(let data): stderr = data
                    }
                }
                return (stdout, stderr)
            }
            // The output can close before the shell exits (the command may close it itself): the
            // deadline holds until the shell has exited.
            while !hasExited(execution.processIdentifier.value) {
                try? await Task.sleep(for: .milliseconds(10))
            }
            deadline?.cancel()
            // The shell is reaped once this closure returns, and its ID may then name another
            // process: no kill after this point.
            let timedOut = group.close()
            return (stdout, stderr, timedOut)
        }
        let collected = run.closureResult
        let ending: Ending
        if collected.timedOut {
            ending = .timedOut
        } else {
            switch run.terminationStatus {
            case .exited(let status): ending = .exit(status)
            case .signaled(let signal): ending = .signal(signal)
            }
        }
        return Result(ending: ending, stdout: collected.stdout, stderr: collected.stderr)
    }

    /// Where deadlines pass: a queue of its own gets a thread even when every thread of the
    /// global queues is busy or blocked.
    private static let deadlines = DispatchQueue(label: "herald.child-process-deadlines")

    private enum Stream: Sendable {
        case input
        case stdout(Data)
        case stderr(Data)
    }

    /// Everything `sequence` gives until it ends; a read that fails ends it early, and what
    /// was read is kept (for a filter, a truncated document is then reported as such).
    private static func drain(_ sequence: SubprocessOutputSequence) async -> Data {
        var data = Data()
        do {
            for try await buffer in sequence {
                buffer.withUnsafeBytes { data.append(contentsOf: $0) }
            }
        } catch {}
        return data
    }

    /// Whether process `id`, a child, has exited; it is left to be reaped.
    private static func hasExited(_ id: pid_t) -> Bool {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(id), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return true }
        return info.si_signo == SIGCHLD
    }

    /// A running command's process group, killed only while its leader, the shell, has not been
    /// reaped: until then no other process can take its ID.
    private final class ProcessGroup: Sendable {
        private let state = Mutex<(open: Bool, killed: Bool)>((true, false))
        private let id: pid_t

        init(_ id: pid_t) { self.id = id }

        /// Sends `SIGKILL` to every process in the group, unless the group was closed.
        func kill() {
            state.withLock { state in
                guard state.open else { return }
                state = (false, true)
                _ = Foundation.kill(-id, SIGKILL)
            }
        }

        /// Refuses later kills; returns whether the group was killed.
        func close() -> Bool {
            state.withLock { state in
                state.open = false
                return state.killed
            }
        }
    }

    /// The result handed from the task to the waiting thread.
    private final class Outcome: Sendable {
        private let value = Mutex<Swift.Result<Result, any Error>?>(nil)
        func set(_ result: Swift.Result<Result, any Error>) { value.withLock { $0 = result } }
        func get() throws -> Result { try value.withLock { $0! }.get() }
    }
}

/// The thread that runs the asynchronous side of every child process (spawning it, writing its
/// input, reading its output), one job at a time, so that this work does not take turns with
/// everything else on Swift's cooperative pool. `SIGPIPE` is blocked on it, so a write to a
/// command that stopped reading fails with an error instead of ending Herald; child processes
/// start with every signal unblocked and at its default action.
private final class ChildProcessThread: TaskExecutor {
    static let shared = ChildProcessThread()

    private let jobs = Mutex<[UnownedJob]>([])
    private let pending = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            var brokenPipe = sigset_t()
            sigemptyset(&brokenPipe)
            sigaddset(&brokenPipe, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &brokenPipe, nil)
            while true {
                pending.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        thread.name = "herald-child-processes"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        pending.signal()
    }
}
