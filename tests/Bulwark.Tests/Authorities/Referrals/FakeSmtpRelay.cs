using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bulwark.Tests.Authorities.Referrals;

/// <summary>
/// A tiny SMTP relay on a loopback port (RFC 5321's plain dialogue, no TLS, no AUTH) that keeps each message's DATA, or,
/// while <see cref="Down"/>, answers every connection with 421 (service not available) as a relay under maintenance does.
/// </summary>
public sealed class FakeSmtpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    public ConcurrentQueue<string> Messages { get; } = new();
    public volatile bool Down;
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public FakeSmtpRelay()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        if (Down)
        {
            await writer.WriteLineAsync("421 relay.example.invalid Service not available, closing transmission channel");
            return;
        }
        await writer.WriteLineAsync("220 relay.example.invalid ESMTP test relay");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-relay.example.invalid");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "HELO": case "MAIL": case "RCPT": case "RSET": case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } d && d != ".") data.AppendLine(d);
                    Messages.Enqueue(data.ToString());
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
    }
}
