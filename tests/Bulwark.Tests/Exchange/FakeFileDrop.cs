using System.Text;
using Microsoft.AspNetCore.Http;
using Bulwark.Server.Hosting.DemoPartners;

namespace Bulwark.Tests.Exchange;

/// <summary>A partner that publishes a file at a URL, with an ETag; If-None-Match answers 304.</summary>
public sealed class FakeFileDrop
{
    public string Content { get; set; } = "";
    /// <summary>Serve the file whole even to a matching If-None-Match (a server without conditional requests).</summary>
    public bool IgnoreIfNoneMatch { get; set; }
    public FakeServer Server { get; private set; } = null!;

    public static async Task<FakeFileDrop> StartAsync()
    {
        var fake = new FakeFileDrop();
        fake.Server = await FakeServer.StartAsync(async (http, _) =>
        {
            var etag = $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(fake.Content)))[..16]}\"";
            if (!fake.IgnoreIfNoneMatch && http.Request.Headers.IfNoneMatch == etag) { http.Response.StatusCode = 304; return; }
            http.Response.Headers.ETag = etag;
            http.Response.ContentType = "text/csv";
            await http.Response.WriteAsync(fake.Content);
        });
        return fake;
    }
}
