using System.Net;
using System.Net.Sockets;

namespace Bulwark.Core.Ingest;

/// <summary>Resolves a host name to addresses. The seam lets tests make a name resolve to a forbidden address.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

/// <summary>The system resolver (getaddrinfo through <see cref="Dns"/>).</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>A connection refused by the <see cref="AddressGuard"/>: no retry can succeed.</summary>
public sealed class ForbiddenAddressException(string message) : Exception(message);

/// <summary>
/// Every outbound HTTP connection goes through here: a <see cref="SocketsHttpHandler"/> whose <c>ConnectCallback</c>
/// resolves the host itself, checks every address with the <see cref="AddressGuard"/>, and connects only to the addresses
/// it checked. There is no second lookup between check and connect, so a name that re-resolves (DNS rebinding) cannot
/// slip through; a literal address in any notation is checked as the resolver would read it. Proxies and automatic
/// redirects are off: a proxy would connect for us, and a redirect would skip the caller's URL check.
/// </summary>
public static class GuardedConnector
{
    /// <param name="what">Names the target in refusals, e.g. "media URL host".</param>
    /// <param name="hint">Appended to refusals, e.g. which setting allow-lists internal targets.</param>
    public static SocketsHttpHandler CreateHandler(AddressGuard guard, IHostResolver resolver, string what, string? hint = null) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = (context, ct) => ConnectAsync(guard, resolver, context.DnsEndPoint, what, hint, ct),
    };

    public static async ValueTask<Stream> ConnectAsync(AddressGuard guard, IHostResolver resolver, DnsEndPoint endPoint, string what, string? hint, CancellationToken ct)
    {
        var host = endPoint.Host;
        var addresses = AddressGuard.TryParseLiteral(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, ct);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        var allowListed = guard.IsHostAllowListed(host);
        // Connect only to checked addresses; a name with public and forbidden answers is reached on its public ones.
        var permitted = addresses.Where(a => allowListed || guard.IsAllowed(a)).ToArray();
        if (permitted.Length == 0)
            throw new ForbiddenAddressException(
                $"{what} '{host}' resolves only to forbidden addresses ({string.Join(", ", addresses.Select(a => AddressGuard.Describe(a) ?? a.ToString()).Distinct())})"
                + (hint is null ? "" : "; " + hint));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, endPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
