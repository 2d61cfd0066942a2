using System.Diagnostics;
using System.Net.Sockets;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Queue.JetStream;

/// <summary>
/// A nats-server of the test's own (Debian's binary, as scripts/nats.sh uses), so a test may stop and start it: JetStream on,
/// loopback, a fixed port and store folder across restarts.
/// </summary>
public sealed class NatsServerProcess : IDisposable
{
    private Process? _process;
    private readonly string _store = Path.Combine(Path.GetTempPath(), "bulwark-tests", "nats-" + Guid.NewGuid().ToString("N"));

    public NatsServerProcess(bool jetStream = true)
    {
        JetStream = jetStream;
        Port = Api.LocalOrigin.FreePort();
    }

    public bool JetStream { get; }
    public int Port { get; }
    public string Url => $"nats://127.0.0.1:{Port}";

    public static string Binary =>
        new[] { "/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server" }.FirstOrDefault(File.Exists)
        ?? (TestDatabase.ServicesRequired
            ? throw new InvalidOperationException("nats-server is not installed (./test.sh installs Debian's)")
            : "nats-server");

    public async Task StartAsync()
    {
        List<string> args = ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (JetStream) args.AddRange(["-js", "-sd", _store]);
        _process = Process.Start(new ProcessStartInfo(Binary, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            if (_process.HasExited) Assert.Fail($"nats-server exited with {_process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (SocketException) { return false; }
        }), "nats-server did not start");
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_store, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
