using System.Xml.Linq;

namespace Catalog.Tests.Shared;

/// <summary>Files of the repository the tests were built from.</summary>
public static class Repository
{
    /// <summary>The folder holding Directory.Build.props, above the test's build output.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The solution's version, as Directory.Build.props sets it.</summary>
    public static string Version =>
        XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Directory.Build.props")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Directory.Build.props above {AppContext.BaseDirectory}");
    }
}
