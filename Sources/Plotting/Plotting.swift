/// Plotting: gnuplot scripts and the code that runs them on attnbench CSV files.
public enum Plotting {}
