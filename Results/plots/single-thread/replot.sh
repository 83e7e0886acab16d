#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder; paths are relative to it.
set -e
cd "$(dirname "$0")"
gnuplot -e 'data='\''../../readme-single-thread.csv'\''; out='\''time_vs_seq.png'\''; term='\''png'\''' ../../../Scripts/time_vs_seq.gp
gnuplot -e 'data='\''../../readme-single-thread.csv'\''; out='\''gflops_vs_seq.png'\''; term='\''png'\''' ../../../Scripts/gflops_vs_seq.gp
gnuplot -e 'data='\''../../readme-single-thread.csv'\''; out='\''speedup_vs_seq.png'\''; term='\''png'\''' ../../../Scripts/speedup_vs_seq.gp
gnuplot -e 'data='\''../../readme-single-thread.csv'\''; out='\''roofline.png'\''; term='\''png'\''' ../../../Scripts/roofline.gp
gnuplot -e 'data='\''../../readme-single-thread-samples.csv'\''; out='\''samples.png'\''; term='\''png'\''' ../../../Scripts/samples.gp
