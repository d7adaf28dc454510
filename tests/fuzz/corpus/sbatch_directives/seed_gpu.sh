#!/bin/bash
#SBATCH --job-name=tf_mnist
#SBATCH --cpus-per-task=8
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --mem=10G
#SBATCH --time=00:30:00
#SBATCH --output=job_output_%j.txt
#SBATCH --partition=gpu
#SBATCH --gres=gpu:nvidia_l40s:1

echo start
srun python3 test.py
