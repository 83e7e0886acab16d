#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder.
set -e
gnuplot -e 'data='\''/work/main/Results/readme-threads.csv'\''; out='\''/work/main/Results/plots/threads/thread_scaling.png'\''; term='\''png'\''' /work/main/Results/plots/threads/thread_scaling.gp
gnuplot -e 'data='\''/work/main/Results/readme-threads.csv'\''; out='\''/work/main/Results/plots/threads/roofline.png'\''; term='\''png'\''' /work/main/Results/plots/threads/roofline.gp
gnuplot -e 'data='\''/work/main/Results/readme-threads-samples.csv'\''; out='\''/work/main/Results/plots/threads/samples.png'\''; term='\''png'\''' /work/main/Results/plots/threads/samples.gp
