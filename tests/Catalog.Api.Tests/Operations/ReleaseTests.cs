using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Catalog.Tests.Shared;

namespace Catalog.Api.Tests.Operations;

/// <summary>
/// The artifacts of <c>scripts/release.sh</c>, built once for the class into a temporary folder (publishing
/// takes a minute or two).
/// </summary>
public sealed class ReleaseArtifacts : IDisposable
{
    public ReleaseArtifacts()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("catalog-release-").FullName;
        var (code, output) = ReleaseTests.Run("bash", [Path.Combine(Repository.Root, "scripts", "release.sh"), Directory], Repository.Root, TimeSpan.FromMinutes(25));
        Assert.True(code == 0, $"scripts/release.sh failed ({code}):{Environment.NewLine}{output}");
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[Trait("Category", "Release")]
public sealed class ReleaseTests(ReleaseArtifacts artifacts) : IClassFixture<ReleaseArtifacts>
{
    [Fact]
    public async Task The_published_service_runs_alone_from_a_temporary_folder_and_is_ready()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("catalog-service-");
        try
        {
            var binary = Path.Combine(folder.FullName, "catalog-api");
            File.Copy(Path.Combine(artifacts.Directory, "catalog-api"), binary); // keeps the execute bit
            var ledger = Path.Combine(folder.FullName, "ledger", "catalog.db");

            using var api = await ApiProcess.StartAsync(ApiProcess.FreePort(), "release-admin-key-0123456789", new Dictionary<string, string> { ["Storage__Path"] = ledger }, binary);
            using var http = new HttpClient { BaseAddress = api.Address };

            var ready = await http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var catalog = JsonDocument.Parse(await http.GetStringAsync("/v1/catalog")).RootElement;
            Assert.Equal(Repository.Version, catalog.GetProperty("service_version").GetString());
            var dashboard = await http.GetAsync("/dashboard");
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            Assert.Contains("<html", await dashboard.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard/dashboard.js")).StatusCode);
            Assert.Contains("catalog_build_info", await http.GetStringAsync("/metrics"));
            Assert.True(File.Exists(ledger), "the ledger is where Storage__Path says");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_published_cli_prints_the_version()
    {
        var (code, output) = Run(Path.Combine(artifacts.Directory, "catalog"), ["--version"], artifacts.Directory, TimeSpan.FromMinutes(1));

        Assert.Equal(0, code);
        Assert.Equal($"catalog {Repository.Version}", output.Trim());
    }

    [Fact]
    public void The_tool_package_installs_and_carries_its_licence_and_readme()
    {
        var package = Path.Combine(artifacts.Directory, $"Catalog.Cli.{Repository.Version}.nupkg");
        using (var zip = ZipFile.OpenRead(package))
        {
            var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            string? Field(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.False(string.IsNullOrEmpty(Field("authors")));
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        }

        var tools = System.IO.Directory.CreateTempSubdirectory("catalog-tool-");
        try
        {
            // Only the artifacts folder as a package source, so nothing else can answer for the name.
            var config = Path.Combine(tools.FullName, "nuget.config");
            File.WriteAllText(config, $"""<configuration><packageSources><clear /><add key="artifacts" value="{artifacts.Directory}" /></packageSources></configuration>""");
            var (installed, log) = Run("dotnet", ["tool", "install", "--tool-path", Path.Combine(tools.FullName, "bin"), "--configfile", config, "Catalog.Cli", "--version", Repository.Version], tools.FullName, TimeSpan.FromMinutes(3));
            Assert.True(installed == 0, log);

            var (code, output) = Run(Path.Combine(tools.FullName, "bin", "catalog"), ["--version"], tools.FullName, TimeSpan.FromMinutes(1));
            Assert.Equal(0, code);
            Assert.Equal($"catalog {Repository.Version}", output.Trim());
        }
        finally
        {
            tools.Delete(recursive: true);
        }
    }

    /// <summary>Runs a program to its end; its exit code and its output and error, interleaved as they came.</summary>
    internal static (int Code, string Output) Run(string program, string[] arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { lines.Enqueue(line.Data); } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { lines.Enqueue(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} did not finish within {timeout}: {string.Join(Environment.NewLine, lines)}");
        }

        process.WaitForExit();
        return (process.ExitCode, string.Join(Environment.NewLine, lines));
    }
}
