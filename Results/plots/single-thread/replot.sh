#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder.
set -e
gnuplot -e 'data='\''/work/main/Results/readme-single-thread.csv'\''; out='\''/work/main/Results/plots/single-thread/time_vs_seq.png'\''; term='\''png'\''' /work/main/Results/plots/single-thread/time_vs_seq.gp
gnuplot -e 'data='\''/work/main/Results/readme-single-thread.csv'\''; out='\''/work/main/Results/plots/single-thread/gflops_vs_seq.png'\''; term='\''png'\''' /work/main/Results/plots/single-thread/gflops_vs_seq.gp
gnuplot -e 'data='\''/work/main/Results/readme-single-thread.csv'\''; out='\''/work/main/Results/plots/single-thread/speedup_vs_seq.png'\''; term='\''png'\''' /work/main/Results/plots/single-thread/speedup_vs_seq.gp
gnuplot -e 'data='\''/work/main/Results/readme-single-thread.csv'\''; out='\''/work/main/Results/plots/single-thread/roofline.png'\''; term='\''png'\''' /work/main/Results/plots/single-thread/roofline.gp
gnuplot -e 'data='\''/work/main/Results/readme-single-thread-samples.csv'\''; out='\''/work/main/Results/plots/single-thread/samples.png'\''; term='\''png'\''' /work/main/Results/plots/single-thread/samples.gp
