namespace Catalog.Generator.Tests.Support;

/// <summary>Compares text with a checked-in snapshot; UPDATE_SNAPSHOTS=1 rewrites the snapshot instead.</summary>
internal static class Snapshot
{
    public static void Match(string name, string actual)
    {
        var path = Path.Combine(RepoPaths.Snapshots, name);
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no snapshot {path}; run the tests with UPDATE_SNAPSHOTS=1 to write it, then review it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
