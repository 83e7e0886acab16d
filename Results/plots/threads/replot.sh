#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder.
set -e
gnuplot -e 'data='\''/work/wt-int/Results/readme-threads.csv'\''; out='\''/work/wt-int/Results/plots/threads/thread_scaling.png'\''; term='\''png'\''' /work/wt-int/Results/plots/threads/thread_scaling.gp
gnuplot -e 'data='\''/work/wt-int/Results/readme-threads.csv'\''; out='\''/work/wt-int/Results/plots/threads/roofline.png'\''; term='\''png'\''' /work/wt-int/Results/plots/threads/roofline.gp
gnuplot -e 'data='\''/work/wt-int/Results/readme-threads-samples.csv'\''; out='\''/work/wt-int/Results/plots/threads/samples.png'\''; term='\''png'\''' /work/wt-int/Results/plots/threads/samples.gp
