#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder.
set -e
gnuplot -e 'data='\''/work/main/Results/readme-peers.csv'\''; out='\''/work/main/Results/plots/peers/thread_scaling.png'\''; term='\''png'\''' /work/main/Results/plots/peers/thread_scaling.gp
gnuplot -e 'data='\''/work/main/Results/readme-peers.csv'\''; out='\''/work/main/Results/plots/peers/roofline.png'\''; term='\''png'\''' /work/main/Results/plots/peers/roofline.gp
gnuplot -e 'data='\''/work/main/Results/readme-peers-samples.csv'\''; out='\''/work/main/Results/plots/peers/samples.png'\''; term='\''png'\''' /work/main/Results/plots/peers/samples.gp
