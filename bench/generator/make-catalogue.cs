// Writes a synthetic pricing catalogue of N models for measuring the generator:
//   dotnet run bench/generator/make-catalogue.cs -- 5000 /tmp/large.yaml
// Providers of 100 models each, every feature of the format in use (tiers, history, match names and
// prefixes, aliases and alias chains, instances and endpoints), valid: the build must accept it.
using System.Globalization;
using System.Text;

if (args.Length != 2 || !int.TryParse(args[0], out var modelCount) || modelCount < 1)
{
    Console.Error.WriteLine("usage: make-catalogue.cs <model count> <output.yaml>");
    return 2;
}

const int ModelsPerProvider = 100;
var yaml = new StringBuilder();
yaml.AppendLine($"# Synthetic catalogue of {modelCount} models, written by bench/generator/make-catalogue.cs.");
yaml.AppendLine("schema: 1");
yaml.AppendLine("assumptions: { typical_input_tokens: 1000, typical_output_tokens: 500 }");
yaml.AppendLine("fallback: { input_mtok: 1, output_mtok: 1 }");
yaml.AppendLine("providers:");
for (var first = 0; first < modelCount; first += ModelsPerProvider)
{
    var provider = $"provider-{first / ModelsPerProvider:D3}";
    yaml.AppendLine($"  - id: {provider}");
    yaml.AppendLine($"    name: Provider {first / ModelsPerProvider}");
    yaml.AppendLine($"    cache_tokens: {(first / ModelsPerProvider % 2 == 0 ? "separate" : "included")}");
    yaml.AppendLine("    models:");
    for (var i = first; i < Math.Min(modelCount, first + ModelsPerProvider); i++)
    {
        var input = 0.1m + (i % 50) * 0.25m;
        yaml.AppendLine($"      - id: model-{i:D5}");
        yaml.AppendLine($"        name: Model {i}");
        yaml.AppendLine($"        match: {{ prefixes: [model-{i:D5}-], names: [{provider}-model-{i:D5}-latest] }}");
        yaml.AppendLine($"        source: https://{provider}.example/pricing");
        yaml.AppendLine("        checked: 2026-11-01");
        yaml.AppendLine("        prices:");
        yaml.AppendLine($"          input_mtok: {Money(input)}");
        yaml.AppendLine($"          output_mtok: {Money(input * 4)}");
        yaml.AppendLine($"          cache_read_mtok: {Money(input / 10)}");
        if (i % 10 == 0)
        {
            yaml.AppendLine("          tiers:");
            yaml.AppendLine($"            - {{ above_input_tokens: 200000, input_mtok: {Money(input * 2)}, output_mtok: {Money(input * 6)} }}");
        }

        if (i % 7 == 0)
        {
            yaml.AppendLine("        history:");
            yaml.AppendLine($"          - {{ until: 2026-06-01, input_mtok: {Money(input * 2)}, output_mtok: {Money(input * 8)} }}");
        }
    }
}

yaml.AppendLine("aliases:");
for (var i = 0; i < modelCount; i += 10)
{
    yaml.AppendLine($"  - name: team-{i:D5}");
    yaml.AppendLine($"    target: provider-{i / ModelsPerProvider:D3}/model-{i:D5}");
    yaml.AppendLine($"  - name: chat-{i:D5}");
    yaml.AppendLine($"    target: team-{i:D5}");
    yaml.AppendLine("    prices: { input_mtok: 0.5, output_mtok: 2 }");
}

yaml.AppendLine("instances:");
for (var i = 0; i < 10; i++)
{
    yaml.AppendLine($"  - {{ vendor: aws, region: us-east-1, type: gpu-{i}, size: x1, hourly_usd: {Money(0.5m + i)} }}");
}

yaml.AppendLine("endpoints:");
for (var i = 0; i < 10; i++)
{
    yaml.AppendLine($"  - {{ id: endpoint-{i}, model: org/model-{i}, vendor: aws, region: us-east-1, instance_type: gpu-{i}, instance_size: x1, min_replicas: 0, max_replicas: 2 }}");
}

File.WriteAllText(args[1], yaml.ToString());
Console.WriteLine($"{args[1]}: {modelCount} models, {modelCount / 5} aliases, {yaml.Length / 1024} KiB");
return 0;

static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);
