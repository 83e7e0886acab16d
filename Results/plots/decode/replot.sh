#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder.
set -e
gnuplot -e 'data='\''/work/main/Results/readme-decode.csv'\''; out='\''/work/main/Results/plots/decode/thread_scaling.png'\''; term='\''png'\''' /work/main/Results/plots/decode/thread_scaling.gp
gnuplot -e 'data='\''/work/main/Results/readme-decode.csv'\''; out='\''/work/main/Results/plots/decode/roofline.png'\''; term='\''png'\''' /work/main/Results/plots/decode/roofline.gp
gnuplot -e 'data='\''/work/main/Results/readme-decode-samples.csv'\''; out='\''/work/main/Results/plots/decode/samples.png'\''; term='\''png'\''' /work/main/Results/plots/decode/samples.gp
