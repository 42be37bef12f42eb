namespace Catalog.Generator.Tests.Support;

/// <summary>Where things are: the repository (found by walking up to Catalog.sln) and the test's own files.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string PricingYaml => Path.Combine(Root, "pricing.yaml");

    public static string PricingSchema => Path.Combine(Root, "pricing.schema.json");

    /// <summary>The checked-in snapshots, in the source tree so UPDATE_SNAPSHOTS=1 rewrites the reviewed files.</summary>
    public static string Snapshots => Path.Combine(Root, "tests", "Catalog.Generator.Tests", "Snapshots");

    /// <summary>A test catalogue as copied next to the test assembly.</summary>
    public static string Catalogue(string name) => Path.Combine(AppContext.BaseDirectory, "Catalogues", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Catalog.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Catalog.sln above {AppContext.BaseDirectory}");
    }
}
