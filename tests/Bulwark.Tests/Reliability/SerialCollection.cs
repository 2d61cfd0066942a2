namespace Bulwark.Tests.Reliability;

/// <summary>Tests that kill processes or restart the shared PostgreSQL server run alone, so they cannot disturb other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
