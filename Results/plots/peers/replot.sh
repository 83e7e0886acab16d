#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder; paths are relative to it.
set -e
cd "$(dirname "$0")"
gnuplot -e 'data='\''../../readme-peers.csv'\''; out='\''thread_scaling.png'\''; term='\''png'\''' ../../../Scripts/thread_scaling.gp
gnuplot -e 'data='\''../../readme-peers.csv'\''; out='\''roofline.png'\''; term='\''png'\''' ../../../Scripts/roofline.gp
gnuplot -e 'data='\''../../readme-peers-samples.csv'\''; out='\''samples.png'\''; term='\''png'\''' ../../../Scripts/samples.gp
