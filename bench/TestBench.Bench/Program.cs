using System.Globalization;
using TestBench.Bench;

// Measurement programs behind the scripts in bench/ (results in docs/benchmarks.md).
// usage: dotnet run -c Release --project bench/TestBench.Bench -- export <repository root> [size in MiB, default 1024]
//        dotnet run -c Release --project bench/TestBench.Bench -- load <repository root> [seconds per run] [rounds]
//        dotnet run -c Release --project bench/TestBench.Bench -- co <repository root> [seconds per model] [calls/s] [callers]
const string Usage = "usage: TestBench.Bench export <root> [MiB] | load <root> [seconds] [rounds] | co <root> [seconds] [calls/s] [callers]";
var mode = args.Length > 0 ? args[0] : "";
var root = Path.GetFullPath(args.Length > 1 ? args[1] : ".");
int Number(int index, int fallback) => args.Length <= index ? fallback
    : int.TryParse(args[index], CultureInfo.InvariantCulture, out var value) && value > 0 ? value
    : throw new ArgumentException($"argument {index + 1} is '{args[index]}'; it must be a positive whole number. {Usage}");
switch (mode)
{
    case "--help" or "-h" or "help":
        Console.WriteLine(Usage);
        break;
    case "export":
        await ExportBench.RunAsync(root, Number(2, 1024));
        break;
    case "load":
        await LoadEngineBench.RunAsync(root, Number(2, 10), Number(3, 3));
        break;
    case "co":
        await CoordinatedOmissionBench.RunAsync(root, Number(2, 20), Number(3, 200), Number(4, 4));
        break;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

return 0;
