using System.Net;
using System.Net.Sockets;

namespace Bulwark.Core.Ingest;

/// <summary>
/// Server-side request forgery protection for media URLs: only http(s), never to loopback, private, link-local,
/// shared (CGNAT), multicast or unspecified addresses unless allow-listed. Checked on the URL at acceptance and
/// again on every resolved address at connect time, so DNS rebinding cannot slip through.
/// </summary>
public sealed class AddressGuard
{
    private readonly HashSet<string> _allowedHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(IPAddress Network, int PrefixLength)> _allowedRanges = [];

    public AddressGuard(IEnumerable<string> allowedInternal)
    {
        foreach (var raw in allowedInternal)
        {
            var item = raw.Trim();
            if (item.Length == 0) continue;
            var slash = item.IndexOf('/');
            if (slash > 0 && IPAddress.TryParse(item[..slash], out var net) && int.TryParse(item[(slash + 1)..], out var len)
                && len >= 0 && len <= (net.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
                _allowedRanges.Add((net, len));
            else if (IPAddress.TryParse(item, out var ip))
                _allowedRanges.Add((ip, ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else
                _allowedHosts.Add(item);
        }
    }

    /// <summary>Checks a URL's form and, for literal addresses and well-known local names, its target. Returns an error message or null.</summary>
    public string? CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "is not an absolute URL";
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return $"uses scheme '{uri.Scheme}'; only http and https are fetched";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "must not carry user credentials";
        var host = uri.IdnHost.Trim('[', ']');
        if (_allowedHosts.Contains(host)) return null;
        if (IPAddress.TryParse(host, out var ip))
            return IsAllowed(ip) ? null : $"points to a forbidden address ({Describe(ip)})";
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
            || !host.Contains('.'))
            return $"points to a local host name ('{host}')";
        return null;
    }

    public bool IsHostAllowListed(string host) => _allowedHosts.Contains(host);

    /// <summary>True when a connection to this address may be made.</summary>
    public bool IsAllowed(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (Describe(ip) is null) return true;
        foreach (var (network, prefix) in _allowedRanges)
            if (InRange(ip, network, prefix)) return true;
        return false;
    }

    /// <summary>Names the forbidden class an address belongs to, or null for a public address.</summary>
    public static string? Describe(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (IPAddress.IsLoopback(ip)) return "loopback";
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return b[0] switch
            {
                0 => "unspecified",
                10 => "private",
                100 when b[1] >= 64 && b[1] <= 127 => "shared address space",
                169 when b[1] == 254 => "link-local",
                172 when b[1] >= 16 && b[1] <= 31 => "private",
                192 when b[1] == 168 => "private",
                192 when b[1] == 0 && b[2] == 0 => "IETF protocol assignments",
                198 when b[1] == 18 || b[1] == 19 => "benchmarking",
                >= 224 and <= 239 => "multicast",
                >= 240 => "reserved",
                _ => null,
            };
        }
        if (ip.Equals(IPAddress.IPv6None) || ip.Equals(IPAddress.IPv6Any)) return "unspecified";
        if (ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal) return "link-local";
        if (ip.IsIPv6Multicast) return "multicast";
        if (ip.IsIPv6UniqueLocal) return "private";
        return null;
    }

    private static bool InRange(IPAddress ip, IPAddress network, int prefix)
    {
        if (ip.AddressFamily != network.AddressFamily) return false;
        var a = ip.GetAddressBytes();
        var n = network.GetAddressBytes();
        var full = prefix / 8;
        for (var i = 0; i < full; i++) if (a[i] != n[i]) return false;
        var rest = prefix % 8;
        if (rest == 0) return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (n[full] & mask);
    }
}
