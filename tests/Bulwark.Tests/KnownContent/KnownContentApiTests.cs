using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.KnownContent;

/// <summary>The hash, match and bank endpoints through the real server.</summary>
public class KnownContentApiTests
{
    private static MultipartFormDataContent File(byte[] bytes, string name, string mime, params (string Key, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(mime);
        form.Add(part, "file", name);
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        return form;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Banks_are_managed_and_files_and_hashes_are_matched_with_problem_details_for_bad_input(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        var admin = host.Admin;
        var reader = host.Client(await host.KeyAsync(Scopes.Read));
        var image = SyntheticMedia.Image(11);

        var hashed = await (await reader.PostAsync("/api/v1/hash", File(image, "pic.png", "image/png"))).Content.ReadFromJsonAsync<JsonElement>();
        var signals = hashed.GetProperty("signals").EnumerateArray().ToDictionary(s => s.GetProperty("signalType").GetString()!, s => s.GetProperty("hash").GetString()!);
        Assert.Equal(["md5", "pdq", "sha256"], signals.Keys.Order());
        Assert.Equal(64, signals["pdq"].Length);

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/banks", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/banks", new { name = "terror", pdqThreshold = 31 })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/banks", new { name = "terror" })).StatusCode);
        var added = await admin.PostAsync("/api/v1/banks/terror/entries", File(SyntheticMedia.Resized(image, 320, 240), "copy.jpg", "image/jpeg",
            ("label", "glorification-of-terrorist-acts"), ("entity", "Synthetic Org"), ("source", "internal")));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var entryId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added")[0].GetProperty("id").GetInt64();

        var bad = await admin.PostAsJsonAsync("/api/v1/banks/terror/entries", new { entries = new object[] { new { signalType = "pdq", value = "zz" }, new { signalType = "nope", value = "1" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("invalid pdq hash 'zz'", errors.GetProperty("entries[0]")[0].GetString());
        Assert.Contains("unknown signal type 'nope'", errors.GetProperty("entries[1]")[0].GetString());

        var match = await (await reader.PostAsync("/api/v1/match", File(image, "upload.png", "image/png"))).Content.ReadFromJsonAsync<JsonElement>();
        var m = Assert.Single(match.GetProperty("matches").EnumerateArray());
        Assert.Equal(("terror", entryId, "Synthetic Org"), (m.GetProperty("bank").GetString(), m.GetProperty("entry").GetInt64(), m.GetProperty("entity").GetString()));
        Assert.InRange(m.GetProperty("distance").GetInt32(), 0, 31);
        Assert.Equal("glorification-of-terrorist-acts", m.GetProperty("labels")[0].GetString());
        Assert.Contains(match.GetProperty("query").EnumerateArray(), q => q.GetProperty("signalType").GetString() == "pdq");

        var byHash = await (await reader.PostAsJsonAsync("/api/v1/match", new { signalType = "pdq", hash = signals["pdq"] })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Single(byHash.GetProperty("matches").EnumerateArray());

        var ready = await (await host.Admin.GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("PDQ index: 1 entries", ready.GetProperty("checks").GetProperty("known-content").GetProperty("description").GetString());

        var frames = string.Join(';', Enumerable.Range(0, 4).Select(i => $"{i},100,{new string((char)('a' + i), 64)},{i}.000"));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/banks/terror/entries", new { entries = new[] { new { signalType = "vpdq", value = frames } } })).StatusCode);
        var byVpdq = await (await reader.PostAsJsonAsync("/api/v1/match", new { signalType = "vpdq", hash = frames })).Content.ReadFromJsonAsync<JsonElement>();
        var v = Assert.Single(byVpdq.GetProperty("matches").EnumerateArray());
        Assert.Equal((100.0, 100.0), (v.GetProperty("queryMatchPercent").GetDouble(), v.GetProperty("referenceMatchPercent").GetDouble()));
        Assert.Equal(frames, byVpdq.GetProperty("query")[0].GetProperty("hash").GetString());

        var badHash = await reader.PostAsJsonAsync("/api/v1/match", new { signalType = "pdq", hash = "xyz" });
        Assert.Equal(HttpStatusCode.BadRequest, badHash.StatusCode);
        Assert.Contains("invalid pdq hash 'xyz'", await badHash.Content.ReadAsStringAsync());
        var unknown = await reader.PostAsJsonAsync("/api/v1/match", new { signalType = "tmk", hash = "00" });
        Assert.Contains("unknown signal type 'tmk'", await unknown.Content.ReadAsStringAsync());
        var corrupt = await reader.PostAsync("/api/v1/hash", File(image[..200], "broken.png", "image/png"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, corrupt.StatusCode);
        Assert.Contains("broken.png", await corrupt.Content.ReadAsStringAsync());
        Assert.Equal("application/problem+json", corrupt.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsJsonAsync($"/api/v1/banks/terror/entries/{entryId}", new { enabled = false })).StatusCode);
        var none = await (await reader.PostAsJsonAsync("/api/v1/match", new { signalType = "pdq", hash = signals["pdq"] })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(none.GetProperty("matches").EnumerateArray());

        var page = await reader.GetFromJsonAsync<JsonElement>("/api/v1/banks/terror/entries?limit=10");
        Assert.False(page.GetProperty("entries")[0].GetProperty("enabled").GetBoolean());
        var banks = await reader.GetFromJsonAsync<JsonElement>("/api/v1/banks");
        Assert.Equal(2, banks[0].GetProperty("entries").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/v1/banks/missing/entries")).StatusCode);

        ready = await (await host.Admin.GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("PDQ index: 1 entries", ready.GetProperty("checks").GetProperty("known-content").GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/banks/terror")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/v1/banks/terror")).StatusCode);
    }
}
